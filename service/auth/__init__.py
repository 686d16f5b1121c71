"""Authentication (API tokens and JWTs), roles and node visibility."""
