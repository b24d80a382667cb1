// Test support follows.
