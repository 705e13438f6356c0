"""Reports that leave the building: the PDF of Figure 8."""
