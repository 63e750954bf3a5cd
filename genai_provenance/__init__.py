"""Small pieces shared by the ``watermark`` and ``rag_audit`` packages and their CLIs.

Nothing here imports torch, transformers or a database driver: every module is cheap to import.

* ``offline``   the one place that keeps Hugging Face libraries offline and quiet.
* ``secret_files``writing secret files (keys): atomically, mode 0600, even over an existing file.
* ``terminal``  making untrusted text safe to print on a terminal (control characters escaped).
* ``cli``       the conventions both CLIs follow: ``Error: <one line>`` + exit 2 for the
                package's own exception, ``-h``/``--help``, a quiet stop on a closed pipe.
"""
