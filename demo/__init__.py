"""Demo data: XML records and the generator of their history (generator.py)."""
