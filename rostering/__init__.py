"""rostering: staffing math and CP-SAT rosters for contact centers."""

__version__ = "0.1.0"
