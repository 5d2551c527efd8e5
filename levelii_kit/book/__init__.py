"""The casebook's book layer: what is built or served from the chapters (see DESIGN.md, "Layers")."""
