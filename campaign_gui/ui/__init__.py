"""The Qt layer: widgets that show what the core computes and call the core to act."""
