# shellcheck shell=bash
# Sourced by the simulated torchrun: what a Qwen-VL finetune.py run does besides printing its log.
# Its tokenizer fetches SimSun.ttf unless the font is there (QwenLM/Qwen-VL#90 when offline). It
# saves into --output_dir what the HF Trainer of transformers 4.32 saves with DeepSpeed ZeRO-3 and
# 8 ranks a node (tiny files, real names and layout): checkpoint-N/ every --save_steps steps, the
# model itself when training ends (--use_lora True: the adapter instead of full weights). And it
# answers SIGTERM as torch elastic does: the agent passes the signal on to its workers and the
# launcher dies with SignalException.

out_dir=output_qwen save_steps=1000 use_lora=False
trainer_step=0
trainer_history=''
ranks_per_node=8

# trainer_args ARGS...: the finetune.py arguments that shape the output.
trainer_args() {
  while [ $# -gt 0 ]; do
    case $1 in
      --output_dir) out_dir=$2; shift ;;
      --save_steps) save_steps=$2; shift ;;
      --use_lora) use_lora=$2; shift ;;
    esac
    shift
  done
}

# Only the world's first process writes what is not per rank (HF's should_save).
first_node() {
  [ "${node_rank:-0}" -eq 0 ]
}

# write_model DIR: what save_pretrained writes (transformers 4.32 saves .bin, safetensors came later).
write_model() {
  local dir=$1 shard
  mkdir -p "$dir"
  if [ "$use_lora" = True ]; then
    printf '{"base_model_name_or_path": "Qwen-VL-Chat", "peft_type": "LORA", "r": 64, "lora_alpha": 16, "lora_dropout": 0.05, "target_modules": ["c_attn", "attn.c_proj", "w1", "w2"], "task_type": "CAUSAL_LM"}\n' >"$dir/adapter_config.json"
    head -c 6144 /dev/zero >"$dir/adapter_model.bin"
  else
    printf '{"architectures": ["QWenLMHeadModel"], "model_type": "qwen", "torch_dtype": "bfloat16", "transformers_version": "4.32.0"}\n' >"$dir/config.json"
    printf '{"chat_format": "chatml", "max_window_size": 6144, "transformers_version": "4.32.0"}\n' >"$dir/generation_config.json"
    for shard in 1 2; do head -c 8192 /dev/zero >"$dir/pytorch_model-0000$shard-of-00002.bin"; done
    printf '{"metadata": {"total_size": 16384}, "weight_map": {"transformer.wte.weight": "pytorch_model-00001-of-00002.bin", "lm_head.weight": "pytorch_model-00002-of-00002.bin"}}\n' >"$dir/pytorch_model.bin.index.json"
  fi
  printf '{"model_max_length": 2048, "padding_side": "right", "tokenizer_class": "QWenTokenizer"}\n' >"$dir/tokenizer_config.json"
  printf '{}\n' >"$dir/special_tokens_map.json"
  head -c 2048 /dev/zero >"$dir/qwen.tiktoken"
  head -c 4155 /dev/zero >"$dir/training_args.bin"
}

# save_checkpoint STEP: checkpoint-STEP/ as Trainer._save_checkpoint leaves it under DeepSpeed.
save_checkpoint() {
  local dir=$out_dir/checkpoint-$1 rank
  mkdir -p "$dir/global_step$1"
  for ((rank = ${node_rank:-0} * ranks_per_node; rank < (${node_rank:-0} + 1) * ranks_per_node; rank++)); do
    head -c 16384 /dev/zero >"$dir/global_step$1/bf16_zero_pp_rank_${rank}_mp_rank_00_optim_states.pt"
    head -c 1024 /dev/zero >"$dir/global_step$1/zero_pp_rank_${rank}_mp_rank_00_model_states.pt"
    head -c 14512 /dev/zero >"$dir/rng_state_$rank.pth"
  done
  first_node || return 0
  write_model "$dir"
  printf 'global_step%s' "$1" >"$dir/latest"
  printf '#!/usr/bin/env python\n# DeepSpeed zero_to_fp32.py (simulated)\n' >"$dir/zero_to_fp32.py"
  printf '{"best_metric": null, "best_model_checkpoint": null, "epoch": %s, "global_step": %s, "is_hyper_param_search": false, "is_local_process_zero": true, "is_world_process_zero": true, "log_history": [%s], "logging_steps": 1, "max_steps": 13, "num_train_epochs": 1, "save_steps": %s, "total_flos": 0, "trial_name": null, "trial_params": null}\n' \
    "${trainer_epoch:-0}" "$1" "$trainer_history" "$save_steps" >"$dir/trainer_state.json"
}

# Importing tokenization_qwen.py (after the model's shards load): without SimSun.ttf in the current
# directory (Qwen-VL/) it downloads the font there, which fails with switch "internet" down.
tokenizer_font() {
  [ -s SimSun.ttf ] && return 0
  if [ "$(sim_get internet up)" = up ]; then
    printf 'SimSun.ttf (simulated download)\n' >SimSun.ttf
    return 0
  fi
  echo 'Traceback (most recent call last):' >&2
  log_fixture qwen-vl-issue90-simsun-download-offline.log >&2
  echo 'ERROR:torch.distributed.elastic.multiprocessing.api:failed (exitcode: 1) local_rank: 0 (pid: 4242) of binary: /home/ma-user/anaconda3/envs/PyTorch-2.1.0/bin/python' >&2
  exit 1
}

# Between two steps: switch "trainingPace" normal (0.5 s) | slow (3 s, a run to stop or look into).
step_pause() {
  if [ "$(sim_get trainingPace normal)" = slow ]; then sleep 3; else sleep 0.5; fi
}

# trainer_log_line LINE: a Trainer log dict is one optimizer step (logging_steps 1).
trainer_log_line() {
  case $1 in
    "{'loss':"*) ;;
    *) return 0 ;;
  esac
  trainer_step=$((trainer_step + 1))
  trainer_epoch=$(printf '%s' "$1" | sed -n "s/.*'epoch': \([0-9.]*\).*/\1/p")
  local entry
  entry=$(printf '%s' "$1" | sed "s/'/\"/g; s/}\$/, \"step\": $trainer_step}/")
  trainer_history=${trainer_history:+$trainer_history, }$entry
  if [ $((trainer_step % save_steps)) -eq 0 ]; then save_checkpoint "$trainer_step"; fi
}

# After trainer.train(): finetune.py's safe_save_model_for_hf_trainer writes the model at the top.
save_final_model() {
  first_node && write_model "$out_dir"
  return 0
}

# torch elastic on SIGTERM: the agent closes its 8 workers with the same signal, the launcher raises.
on_sigterm() {
  local rank
  echo 'WARNING:torch.distributed.elastic.agent.server.api:Received Signals.SIGTERM death signal, shutting down workers' >&2
  for ((rank = 1; rank <= ranks_per_node; rank++)); do
    echo "WARNING:torch.distributed.elastic.multiprocessing.api:Sending process $(($$ + rank)) closing signal SIGTERM" >&2
  done
  echo "torch.distributed.elastic.multiprocessing.api.SignalException: Process $$ got signal: 15" >&2
  exit 1
}
trap on_sigterm TERM
