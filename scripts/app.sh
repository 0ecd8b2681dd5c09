#!/usr/bin/env bash
# Start the kerjasama map app (Streamlit) on http://localhost:8501.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
exec .venv/bin/streamlit run app.py --server.headless true "$@"
