# Stand-in for Qwen-VL's finetune.py (simulated DevServer): the simulated torchrun on PATH plays
# the training run, so this file only has to exist where the install script puts it.
