"""ros1trace: ROS1 resistance mutations and fusions from baseline/progression sequencing outputs."""

__version__ = "0.1.0"
