"""Personal data protection (UU 27/2022)."""
