"""Programme logic without a framework: delivery confidence (RAG), risk scoring,
milestone dependencies, budget variance. The web apps `programme` and `board` store the
data; the rules live here so they are tested once and usable from a notebook.
"""
