"""Full screens (watchlist, depth, info) and modals."""
