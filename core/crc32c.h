/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of
 * recordings: it catches every burst up to 32 bits and is what ext4, btrfs
 * and iSCSI use, so a record can be checked with common tools.
 */
#ifndef LEAKTOP_CRC32C_H
#define LEAKTOP_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* Continue crc (start with 0) over n bytes. crc32c("123456789") = 0xE3069283. */
uint32_t crc32c(uint32_t crc, const void *data, size_t n);

#endif
