"""One module per rule family; each adds its constraints and returns its penalty."""
