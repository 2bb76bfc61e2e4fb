/* block_file.h - the host side of a disk: a raw image file or block device.
 *
 * Opening checks everything a user can get wrong (missing, unreadable, not a
 * file or block device, empty) and takes a lock on the image so that two
 * rvisor processes never write one image at the same time: an exclusive
 * flock() for a writable disk, a shared one for a read-only disk (many
 * readers, or one writer). flock() locks belong to the open file
 * description, so a second open of the same image in this process conflicts
 * as well.
 *
 * The device (virtio/blk.c) does its I/O on bf->fd, through io_uring or the
 * plain-syscall helpers below; every helper returns a byte count or 0 on
 * success, -errno on failure, and retries EINTR itself. Offsets and lengths
 * are in bytes and are not checked here: the caller has checked them
 * against bf->size. */
#ifndef RVISOR_BACKEND_BLOCK_FILE_H
#define RVISOR_BACKEND_BLOCK_FILE_H

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#define BLOCK_SECTOR_SIZE 512u

struct block_file {
	int fd;
	bool readonly;
	bool is_blockdev;
	uint64_t size;	    /* bytes, a multiple of BLOCK_SECTOR_SIZE, > 0 */
	uint32_t alignment; /* host block size, for the discard granularity */
	/* Cleared (once, by whichever thread sees EOPNOTSUPP or similar) when
	 * the host file system cannot do that fallocate() mode: later
	 * requests go straight to the fallback. */
	atomic_bool can_punch_hole, can_zero_range;
};

/* Opens and locks path. Returns 0, or -1 with a one-line message that
 * names the image in err. */
int block_file_open(struct block_file *bf, const char *path, bool readonly,
		    char *err, size_t errlen);
/* Closes the image (which drops the lock). Safe on a closed block_file. */
void block_file_close(struct block_file *bf);

/* One preadv/pwritev (may be short); count <= IOV_MAX. */
ssize_t block_file_preadv(struct block_file *bf, const struct iovec *iov,
			  int count, uint64_t off);
ssize_t block_file_pwritev(struct block_file *bf, const struct iovec *iov,
			   int count, uint64_t off);
/* fdatasync(): every completed write reaches stable storage. */
int block_file_flush(struct block_file *bf);
/* fallocate(mode, off, len). */
int block_file_fallocate(struct block_file *bf, int mode, uint64_t off,
			 uint64_t len);

/* Whether a failed fallocate() said "this file cannot do that mode" (as
 * opposed to an I/O error): the caller then falls back. */
static inline bool block_file_fallocate_unsupported(int err)
{
	return err == -EOPNOTSUPP || err == -ENOSYS || err == -EINVAL ||
	       err == -ENODEV || err == -ENOTTY;
}

#endif
