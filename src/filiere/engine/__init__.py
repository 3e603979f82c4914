"""Filière's decision engine: pure Python, no Django.

Affinity between proposals and experts, conflicts of interest, reviewer assignment, score
calibration, budget-constrained selection, eligibility rules and the schedule of one-to-one
meetings at an event. Callers pass data, dates and
seeds; results are frozen dataclasses or arrays with codes, translated at the edge.
"""
