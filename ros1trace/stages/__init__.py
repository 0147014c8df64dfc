"""The workflow's stages: one module per rule (``python -m ros1trace.cli <stage>``), named after it.

Each holds only ``add_arguments(parser)`` and ``run(args)``: it parses the arguments, reads the
inputs, calls the library and writes the outputs.  The biology and the statistics live in the
library subpackages below; a stage of a per-batch rule (``variants``, ``fusions``, ``emergence``)
imports neither pandas nor scipy nor matplotlib.
"""
