# Stand-in for the package's NPU-adapted modeling_qwen.py (simulated DevServer): Step 4 copies it
# over the weights folder's own, and the check compares the two.
NPU_ADAPTED = True
