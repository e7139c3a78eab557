"""Helpers the tests share: fakes, local stub servers, test data paths and pages."""
