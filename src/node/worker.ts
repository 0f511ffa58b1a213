// Worker thread entry (issue 6): evaluates batches of clients off the main thread.
export {};
