# The image the Kubernetes profile's pods run (profiles/kubernetes, container-image): the locked
# environment of one variant and this checkout, fwbench from its own src/ as in every run.
#   docker build --build-arg VARIANT=gpu -t registry.example.org/fwbench:latest .   # CUDA nodes
#   docker build -t registry.example.org/fwbench:cpu .                              # CPU nodes
#   docker push registry.example.org/fwbench:latest
# Not built on the reference machine (no container registry is reachable there); a test checks that
# what it copies and installs exists.
FROM python:3.11-slim
ARG VARIANT=cpu
ARG TORCH_CPU_INDEX=https://download.pytorch.org/whl/cpu
WORKDIR /fwbench
COPY requirements/ requirements/
# The CPU variant's torch line comes from PyTorch's CPU index (as `make setup` does), then the lock.
RUN if [ "$VARIANT" = cpu ]; then \
      pip install --no-cache-dir --no-deps --extra-index-url "$TORCH_CPU_INDEX" \
        "$(grep '^torch==' requirements/cpu.lock.txt)"; \
    fi \
 && pip install --no-cache-dir -r "requirements/$VARIANT.lock.txt"
COPY . .
ENV PYTHONPATH=/fwbench/src \
    TF_CPP_MIN_LOG_LEVEL=1 \
    DVC_NO_ANALYTICS=1
CMD ["snakemake", "--help"]
