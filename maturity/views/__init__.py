"""Thin views: parse a form, call the data layer, render."""
