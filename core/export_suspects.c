// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The suspects section of batch output: `suspects_summary` and `suspects`
 * in JSON (doc/json-schema.md), "SUSPECTS" in text. Subject ids are those of
 * the quantity the rate is about, by kind (doc/suspects.md).
 */
#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "export.h"
#include "format.h"
#include "json.h"
#include "strsafe.h"
#include "suspects.h"

static const char *const target_names[] = {
	[SUS_TO_NONE] = "none", [SUS_TO_SOCKET] = "socket", [SUS_TO_PROCESS] = "process",
	[SUS_TO_SLAB] = "slab", [SUS_TO_TAB] = "tab", [SUS_TO_CGROUP] = "cgroup",
};

static void json_sgroup(struct json *j, const struct tq_id *id)
{
	int32_t pid = (int32_t)(uint32_t)id->k[0];
	unsigned int kind = (unsigned int)(id->k[0] >> 32) & 0xff;
	unsigned int state = (unsigned int)(id->k[0] >> 40) & 0xff;

	json_str(j, "type", "socket_group");
	json_i64(j, "pid", pid);
	if (pid)
		json_u64(j, "starttime", id->k[1]);
	json_str(j, "sock_kind", sock_kind_name((enum sock_kind)kind));
	json_str(j, "state", kind == SK_TCP && sock_tcp_state_name(state) ? sock_tcp_state_name(state)
									   : "");
	if (!pid) {
		json_u64(j, "port", id->k[0] >> 48);
		json_bool(j, "port_is_remote", id->k[1] & TQ_SG_REMOTE_PORT);
	}
}

static void json_subject(struct json *j, const struct suspect *su)
{
	const struct tq_id *id = &su->subject;

	json_object_begin(j, "subject");
	switch ((enum tq_kind)id->kind) {
	case TQ_PROC_RSS:
	case TQ_PROC_FDS:
	case TQ_PROC_SOCKS:
	case TQ_PROC_SOCKMEM:
		json_str(j, "type", "process");
		json_i64(j, "pid", (int32_t)(uint32_t)id->k[0]);
		json_u64(j, "starttime", id->k[1]);
		break;
	case TQ_SGRP_COUNT:
	case TQ_SGRP_MEM:
	case TQ_SGRP_RECVQ:
	case TQ_SGRP_SENDQ:
		json_sgroup(j, id);
		break;
	case TQ_SLAB_BYTES:
	case TQ_SLAB_OBJS:
		json_str(j, "type", "slab_cache");
		json_str(j, "name", su->target_name);
		break;
	case TQ_VMALLOC_BYTES:
		json_str(j, "type", "vmalloc_caller");
		json_str(j, "caller", su->subject_text);
		break;
	case TQ_TMPFS_USED:
		json_str(j, "type", "tmpfs");
		json_str(j, "mountpoint", su->subject_text);
		json_u64(j, "dev_major", id->k[0] >> 32);
		json_u64(j, "dev_minor", id->k[0] & 0xffffffffu);
		break;
	case TQ_CG_CURRENT:
	case TQ_CG_ANON:
	case TQ_CG_KERNEL:
	case TQ_CG_SOCK:
		json_str(j, "type", "cgroup");
		json_str(j, "charge", tq_kinds[id->kind].name + strlen("cgroup_"));
		json_str(j, "path", su->target_name);
		break;
	case TQ_MEM_CLASS:
		json_str(j, "type", "mem_class");
		json_str(j, "class", mem_class_name((enum mem_class)id->k[0]));
		break;
	default:
		json_str(j, "type", tq_kinds[id->kind < TQ_KIND_COUNT ? id->kind : 0].name);
		break;
	}
	if (su->target == SUS_TO_SOCKET) {
		json_u64(j, "inode", su->target_k[0]);
		json_u64(j, "cookie", su->target_k[1]);
	}
	json_str(j, "text", su->subject_text);
	json_object_end(j);
}

void export_suspects_json(struct json *j, const struct suspect_list *l)
{
	char empty[200];

	json_object_begin(j, "suspects_summary");
	json_u64(j, "samples", l->samples);
	json_u64(j, "min_samples", l->min_samples);
	json_double(j, "threshold_bytes_per_h", l->threshold_bytes_h);
	json_double(j, "window_s", l->watch.window_s);
	json_u64(j, "watched_quantities", l->watch.quantities);
	json_u64(j, "watched_sockets", l->watch.sockets);
	json_u64(j, "watched_socket_groups", l->watch.socket_groups);
	json_u64(j, "watched_caches", l->watch.caches);
	json_u64(j, "watched_processes", l->watch.processes);
	if (l->n) {
		json_null(j, "empty");
	} else {
		suspects_describe_empty(l, empty, sizeof(empty));
		json_str(j, "empty", empty);
	}
	json_object_end(j);
	json_array_begin(j, "suspects");
	for (size_t i = 0; i < l->n; i++) {
		const struct suspect *su = &l->v[i];

		json_object_begin(j, NULL);
		json_u64(j, "rank", su->rank);
		json_str(j, "kind", suspect_kind_name((enum suspect_kind)su->kind));
		json_subject(j, su);
		json_double(j, "rate_bytes_per_h", su->rate_bytes_h);
		json_double(j, "rate_units_per_h", su->rate_units_h);
		json_double(j, "growth_bytes", su->growth);
		json_double(j, "window_s", su->window_s);
		json_double(j, "confidence", su->confidence);
		json_double(j, "score", su->score);
		json_str(j, "verdict", su->verdict);
		json_object_begin(j, "target");
		json_str(j, "type", su->target < ARRAY_SIZE(target_names)
					    ? target_names[su->target] : "none");
		if (su->target == SUS_TO_SLAB || su->target == SUS_TO_TAB)
			json_str(j, "name", su->target_name);
		else if (su->target != SUS_TO_NONE) {
			json_u64(j, "k0", su->target_k[0]);
			json_u64(j, "k1", su->target_k[1]);
		}
		json_object_end(j);
		json_array_begin(j, "evidence");
		for (size_t e = 0; e < su->nev; e++) {
			json_object_begin(j, NULL);
			json_str(j, "text", su->ev[e].text);
			json_i64(j, "agrees", su->ev[e].agrees);
			json_object_end(j);
		}
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
}

void export_suspects_text(FILE *f, const struct suspect_list *l)
{
	char buf[512];

	fprintf(f, "SUSPECTS\n");
	if (!l->n) {
		suspects_describe_empty(l, buf, sizeof(buf));
		fprintf(f, "  %s\n", buf);
		return;
	}
	fprintf(f, "  %4s %-13s %9s %5s  %s\n", "rank", "kind", "rate/h", "conf", "verdict");
	for (size_t i = 0; i < l->n; i++) {
		const struct suspect *su = &l->v[i];
		char rate[16];

		format_bytes(su->rate_bytes_h > 0 ? (uint64_t)su->rate_bytes_h : 0, rate, sizeof(rate));
		strsafe_escape(su->verdict, strlen(su->verdict), buf, sizeof(buf));
		fprintf(f, "  %4u %-13s %9s %5.2f  %s\n", su->rank,
			suspect_kind_name((enum suspect_kind)su->kind), rate, su->confidence, buf);
		for (size_t e = 0; e < su->nev; e++) {
			strsafe_escape(su->ev[e].text, strlen(su->ev[e].text), buf, sizeof(buf));
			fprintf(f, "  %4s %-13s %9s %5s    %c %s\n", "", "", "", "",
				su->ev[e].agrees > 0 ? '+' : su->ev[e].agrees < 0 ? '-' : ' ', buf);
		}
	}
}
