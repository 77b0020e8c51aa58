#!/bin/bash
# Simulated qwen-vl_install.sh of AscendCloud-AIGC 6.3.910: the real one clones Qwen-VL at this
# folder's commit and pip-installs its requirements (it needs the internet); this one prints the
# same kind of progress and copies the bundled Qwen-VL stand-in into the current directory.
set -eu
here=$(dirname "$(readlink -f "$0")")
commit=$(basename "$here")
echo "Cloning into 'Qwen-VL'..."
sleep 0.2
rm -rf Qwen-VL
cp -R "$here/qwen-vl" Qwen-VL
echo "HEAD is now at ${commit:0:7} update README"
for package in transformers==4.32.0 accelerate tiktoken einops transformers_stream_generator==0.0.4 scipy torchvision pillow tensorboard matplotlib deepspeed peft; do
  echo "Requirement already satisfied: $package"
  sleep 0.05
done
echo 'Successfully installed qwen-vl requirements'
echo 'qwen-vl install finished'
