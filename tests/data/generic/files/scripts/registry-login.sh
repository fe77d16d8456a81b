#!/bin/sh
set -eu
echo "Kp3vX9mQ7LzR2tWn" | docker login --username ci-builder --password-stdin registry.example.org
echo "$REGISTRY_PASSWORD" | docker login --username ci-builder --password-stdin registry.example.org
