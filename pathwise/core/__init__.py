"""The rules of a certification program, as pure Python: no Django, no HTTP, no database."""
