"""Helpers shared by the test packages (not tests themselves): the one place they are written."""
