"""Certificates: codes, the PDF, and the signed Open Badges 3.0 credential that anyone can verify."""
