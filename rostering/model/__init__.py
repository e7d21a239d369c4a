"""The CP-SAT model: decision variables plus one module per rule family."""
