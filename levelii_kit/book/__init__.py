"""The casebook's outputs beyond the model: printable handouts and PDF printing (more to come)."""
