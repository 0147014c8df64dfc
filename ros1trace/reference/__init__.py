"""Reference facts: the ROS1 transcript and protein, the genome builds and locus, the resistance catalog."""
