"""Village services (Smart Kampung)."""
