"""Running flux and kubectl: runners, child processes, the run stage and failure classification."""
