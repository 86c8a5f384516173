"""Online applications: forms derived from a service's adopted standard (issue 4)."""
