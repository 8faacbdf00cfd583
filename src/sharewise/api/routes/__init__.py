"""The API's endpoints, one module per area, each a ninja Router added in `api.api`."""
