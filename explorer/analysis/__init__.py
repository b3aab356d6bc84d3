"""What the pages ask of the model: uncertainty, financing, calibration and claims."""
