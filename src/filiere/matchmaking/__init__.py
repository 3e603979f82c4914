"""Crossing competences: the offers and needs board, suggestions with their reasons, and
introductions between members with consent."""
