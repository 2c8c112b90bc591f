"""LLM: the only package that talks to a model: transport, structured answers, errors, embedded. [net, process]"""
