"""Views of the staff inbox, one module per page family."""
