"""Data package: the lexicons, code tables and rules in this folder ship as converter.mappings."""
