"""The review console (``rag_audit serve``): server-rendered pages over one audit log for human
oversight. ``app`` needs the ``console`` extra (FastAPI, uvicorn, python-multipart,
itsdangerous); ``auth`` (users file, password hashes) needs only the standard library."""
