/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * User-space interface of the Platform Firmware Runtime Update (PFRU,
 * /dev/pfru/update) and Telemetry (PFRT, /dev/pfru/telemetry) devices of
 * the fwact PFRU backend. The ioctl numbers and structure layouts are the
 * ones of the mainline ACPI pfr_update/pfr_telemetry drivers, so tools
 * written for those (such as tools/power/acpi/tools/pfrut) work unchanged;
 * the names used by the original proposal of the interface are provided as
 * aliases at the end.
 */
#ifndef __PFRUT_H__
#define __PFRUT_H__

#include <linux/ioctl.h>
#include <linux/types.h>

#define PFRUT_IOCTL_MAGIC	0xEE

/**
 * PFRU_IOC_SET_REV - _IOW(PFRUT_IOCTL_MAGIC, 0x01, unsigned int)
 *
 * Select the revision (1 or 2) passed to every later _DSM call of the
 * update device. The revision is per device and survives close().
 *
 * Return: 0, -EFAULT if the argument cannot be read, -EINVAL if it is not
 * 1 or 2.
 */
#define PFRU_IOC_SET_REV	_IOW(PFRUT_IOCTL_MAGIC, 0x01, unsigned int)

/**
 * PFRU_IOC_STAGE - _IOW(PFRUT_IOCTL_MAGIC, 0x02, unsigned int)
 *
 * Stage the capsule loaded with write(): the firmware authenticates it and
 * keeps it for a later activation. The argument is not used.
 *
 * Return: 0, -ENODATA if no capsule was loaded, -EINVAL if it is no longer
 * applicable, or the error the firmware reported (see pfru-ioctl.rst).
 */
#define PFRU_IOC_STAGE		_IOW(PFRUT_IOCTL_MAGIC, 0x02, unsigned int)

/**
 * PFRU_IOC_ACTIVATE - _IOW(PFRUT_IOCTL_MAGIC, 0x03, unsigned int)
 *
 * Activate the staged capsule. The argument is not used.
 *
 * Return: 0, -ENODATA if nothing is staged, -EBUSY if an activation is
 * already running, or the error the firmware reported.
 */
#define PFRU_IOC_ACTIVATE	_IOW(PFRUT_IOCTL_MAGIC, 0x03, unsigned int)

/**
 * PFRU_IOC_STAGE_ACTIVATE - _IOW(PFRUT_IOCTL_MAGIC, 0x04, unsigned int)
 *
 * Stage and activate the loaded capsule in one firmware call. The argument
 * is not used.
 *
 * Return: as for %PFRU_IOC_STAGE and %PFRU_IOC_ACTIVATE.
 */
#define PFRU_IOC_STAGE_ACTIVATE	_IOW(PFRUT_IOCTL_MAGIC, 0x04, unsigned int)

/**
 * PFRU_IOC_QUERY_CAP - _IOR(PFRUT_IOCTL_MAGIC, 0x05, struct pfru_update_cap_info)
 *
 * Query the update capability of the firmware; read() of the update
 * device returns the same structure.
 *
 * Return: 0, -EFAULT if the result cannot be copied out, or the error the
 * firmware reported.
 */
#define PFRU_IOC_QUERY_CAP	_IOR(PFRUT_IOCTL_MAGIC, 0x05, \
				     struct pfru_update_cap_info)

/**
 * struct pfru_payload_hdr - payload header of a PFRU capsule
 * @sig: signature of the payload
 * @hdr_version: revision of this header
 * @hdr_size: size of this header including the OEM header bytes after it
 * @hw_ver: firmware version the payload applies to
 * @rt_ver: runtime version of the code in the payload
 * @platform_id: GUID of the platform the payload is meant for
 * @svn_ver: security version number (driver update payloads)
 *
 * Not used by any ioctl: it describes the capsules written to the update
 * device.
 */
struct pfru_payload_hdr {
	__u32 sig;
	__u32 hdr_version;
	__u32 hdr_size;
	__u32 hw_ver;
	__u32 rt_ver;
	__u8 platform_id[16];
	__u32 svn_ver;
};

/**
 * enum pfru_dsm_status - status the firmware returns from a _DSM call
 * @DSM_SUCCEED: success
 * @DSM_FUNC_NOT_SUPPORT: function not supported (-EOPNOTSUPP)
 * @DSM_INVAL_INPUT: invalid input, e.g. a rejected capsule (-EINVAL)
 * @DSM_HARDWARE_ERR: hardware error (-EIO)
 * @DSM_RETRY_SUGGESTED: transient failure, try again (-EAGAIN)
 * @DSM_UNKNOWN: unspecified failure (-EPROTO)
 * @DSM_FUNC_SPEC_ERR: function specific error, see the extended status
 *	(-EREMOTEIO)
 */
enum pfru_dsm_status {
	DSM_SUCCEED = 0,
	DSM_FUNC_NOT_SUPPORT = 1,
	DSM_INVAL_INPUT = 2,
	DSM_HARDWARE_ERR = 3,
	DSM_RETRY_SUGGESTED = 4,
	DSM_UNKNOWN = 5,
	DSM_FUNC_SPEC_ERR = 6,
};

/**
 * struct pfru_update_cap_info - runtime update capability
 * @status: status of the query (&enum pfru_dsm_status)
 * @update_cap: bitmap of supported update types
 * @code_type: image type GUID of code injection capsules
 * @fw_version: platform firmware version
 * @code_rt_version: runtime version of the injected code (anti-rollback)
 * @drv_type: image type GUID of driver update capsules
 * @drv_rt_version: runtime version of the updated driver
 * @drv_svn: security version number of the updated driver
 * @platform_id: platform GUID
 * @oem_id: OEM GUID
 * @oem_info_len: length of the vendor specific information
 */
struct pfru_update_cap_info {
	__u32 status;
	__u32 update_cap;

	__u8 code_type[16];
	__u32 fw_version;
	__u32 code_rt_version;

	__u8 drv_type[16];
	__u32 drv_rt_version;
	__u32 drv_svn;

	__u8 platform_id[16];
	__u8 oem_id[16];

	__u32 oem_info_len;
};

/**
 * struct pfru_com_buf_info - communication buffer of the firmware
 * @status: status of the query
 * @ext_status: implementation specific status
 * @addr_lo: low 32 bits of the physical address of the buffer
 * @addr_hi: high 32 bits of the physical address of the buffer
 * @buf_size: size of the buffer in bytes
 */
struct pfru_com_buf_info {
	__u32 status;
	__u32 ext_status;
	__u64 addr_lo;
	__u64 addr_hi;
	__u32 buf_size;
};

/**
 * struct pfru_updated_result - result of a stage or activate call
 * @status: status of the call
 * @ext_status: implementation specific status
 * @low_auth_time: low 32 bits of the authentication time, in nanoseconds
 * @high_auth_time: high 32 bits of the authentication time
 * @low_exec_time: low 32 bits of the execution time, in nanoseconds
 * @high_exec_time: high 32 bits of the execution time
 */
struct pfru_updated_result {
	__u32 status;
	__u32 ext_status;
	__u64 low_auth_time;
	__u64 high_auth_time;
	__u64 low_exec_time;
	__u64 high_exec_time;
};

/**
 * struct pfrt_log_data_info - where the telemetry log is
 * @status: status of the query
 * @ext_status: implementation specific status
 * @chunk1_addr_lo: low 32 bits of the physical address of chunk 1 (the
 *	older part of a log that has wrapped)
 * @chunk1_addr_hi: high 32 bits of it
 * @chunk2_addr_lo: low 32 bits of the physical address of chunk 2 (the
 *	start of the log buffer; what mmap() maps)
 * @chunk2_addr_hi: high 32 bits of it
 * @max_data_size: size of the log buffer in bytes
 * @chunk1_size: bytes of log in chunk 1
 * @chunk2_size: bytes of log in chunk 2
 * @rollover_cnt: times the log wrapped since the last reset
 * @reset_cnt: times the telemetry service was reset
 *
 * The structure has a 4-byte hole at its end, which the kernel clears.
 */
struct pfrt_log_data_info {
	__u32 status;
	__u32 ext_status;
	__u64 chunk1_addr_lo;
	__u64 chunk1_addr_hi;
	__u64 chunk2_addr_lo;
	__u64 chunk2_addr_hi;
	__u32 max_data_size;
	__u32 chunk1_size;
	__u32 chunk2_size;
	__u32 rollover_cnt;
	__u32 reset_cnt;
};

/**
 * struct pfrt_log_info - telemetry log settings
 * @log_level: 0 error, 1 warning, 2 info, 4 verbose
 * @log_type: 0 execution log, 1 history log
 * @log_revid: _DSM revision, 1 or 2
 *
 * For %PFRT_LOG_IOC_SET_INFO a field of 0xFFFFFFFF leaves that setting
 * unchanged.
 */
struct pfrt_log_info {
	__u32 log_level;
	__u32 log_type;
	__u32 log_revid;
};

/**
 * PFRT_LOG_IOC_SET_INFO - _IOW(PFRUT_IOCTL_MAGIC, 0x06, struct pfrt_log_info)
 *
 * Set the log level (in the firmware), the log type and the revision used
 * by later calls of the telemetry device.
 *
 * Return: 0, -EFAULT, -EINVAL for a value that is neither valid nor
 * 0xFFFFFFFF, or the error the firmware reported.
 */
#define PFRT_LOG_IOC_SET_INFO	_IOW(PFRUT_IOCTL_MAGIC, 0x06, \
				     struct pfrt_log_info)

/**
 * PFRT_LOG_IOC_GET_INFO - _IOR(PFRUT_IOCTL_MAGIC, 0x07, struct pfrt_log_info)
 *
 * Read the log level from the firmware, and the log type and revision.
 *
 * Return: 0, -EFAULT, or the error the firmware reported.
 */
#define PFRT_LOG_IOC_GET_INFO	_IOR(PFRUT_IOCTL_MAGIC, 0x07, \
				     struct pfrt_log_info)

/**
 * PFRT_LOG_IOC_GET_DATA_INFO - _IOR(PFRUT_IOCTL_MAGIC, 0x08, struct pfrt_log_data_info)
 *
 * Read where the log of the current log type is and how much it holds.
 *
 * Return: 0, -EFAULT, or the error the firmware reported.
 */
#define PFRT_LOG_IOC_GET_DATA_INFO _IOR(PFRUT_IOCTL_MAGIC, 0x08, \
					struct pfrt_log_data_info)

/*
 * Names of the original proposal of this interface. They name the same
 * ioctls and structures as above (with the numbers of the merged ABI).
 */
#define PFRU_MAGIC			PFRUT_IOCTL_MAGIC
#define PFRU_IOC_SET_LOG_INFO		PFRT_LOG_IOC_SET_INFO
#define PFRU_IOC_GET_LOG_INFO		PFRT_LOG_IOC_GET_INFO
#define PFRU_IOC_GET_DATA_INFO		PFRT_LOG_IOC_GET_DATA_INFO
#define PFRU_LOG_IOC_SET_INFO		PFRT_LOG_IOC_SET_INFO
#define PFRU_LOG_IOC_GET_INFO		PFRT_LOG_IOC_GET_INFO
#define PFRU_LOG_IOC_GET_DATA_INFO	PFRT_LOG_IOC_GET_DATA_INFO
#define pfru_telem_info			pfrt_log_info
#define pfru_telem_data_info		pfrt_log_data_info

#endif /* __PFRUT_H__ */
