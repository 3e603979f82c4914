"""(being written: issue #10, committee stage)."""
