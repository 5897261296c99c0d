/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of the fwact rendezvous engine. fwact_rv_start fires when an
 * activation program is about to run, fwact_rv_end after every CPU has been
 * released, with the run's measurements. Both are emitted outside the held
 * window, so enabling them does not lengthen the blackout they report.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM fwact

#if !defined(_FWACT_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _FWACT_TRACE_H

#include <linux/fwact.h>
#include <linux/tracepoint.h>

TRACE_EVENT(fwact_rv_start,
	    TP_PROTO(unsigned int nr_steps, bool held, u64 budget_ns),
	    TP_ARGS(nr_steps, held, budget_ns),
	    TP_STRUCT__entry(__field(unsigned int, nr_steps)
			     __field(bool, held)
			     __field(u64, budget_ns)),
	    TP_fast_assign(__entry->nr_steps = nr_steps;
			   __entry->held = held;
			   __entry->budget_ns = budget_ns;),
	    TP_printk("nr_steps=%u held=%d budget_ns=%llu",
		      __entry->nr_steps, __entry->held, __entry->budget_ns)
);

TRACE_EVENT(fwact_rv_end,
	    TP_PROTO(int result, const struct fwact_measure *m),
	    TP_ARGS(result, m),
	    TP_STRUCT__entry(__field(int, result)
			     __field(unsigned int, cpus)
			     __field(u64, blackout_ns)
			     __field(u64, skew_ns)
			     __field(u64, irqoff_max_ns)
			     __field(u64, irqoff_mean_ns)
			     __field(u64, action_ns)
			     __field(int, failed_step)
			     __field(int, failed_cpu)),
	    TP_fast_assign(__entry->result = result;
			   __entry->cpus = m->cpus;
			   __entry->blackout_ns = m->blackout_ns;
			   __entry->skew_ns = m->arrival_skew_ns;
			   __entry->irqoff_max_ns = m->irqoff_max_ns;
			   __entry->irqoff_mean_ns = m->irqoff_mean_ns;
			   __entry->action_ns = m->action_ns;
			   __entry->failed_step = m->failed_step;
			   __entry->failed_cpu = m->failed_cpu;),
	    TP_printk("result=%d cpus=%u blackout_ns=%llu skew_ns=%llu irqoff_max_ns=%llu irqoff_mean_ns=%llu action_ns=%llu failed_step=%d failed_cpu=%d",
		      __entry->result, __entry->cpus, __entry->blackout_ns,
		      __entry->skew_ns, __entry->irqoff_max_ns,
		      __entry->irqoff_mean_ns, __entry->action_ns,
		      __entry->failed_step, __entry->failed_cpu)
);

#endif /* _FWACT_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE fwact_trace
#include <trace/define_trace.h>
