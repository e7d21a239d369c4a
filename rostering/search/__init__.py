"""The search: techniques that find rosters of the CP-SAT model, each a stage of a route."""
