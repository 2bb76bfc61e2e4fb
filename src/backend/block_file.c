#include "backend/block_file.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"

int block_file_open(struct block_file *bf, const char *path, bool readonly,
		    char *err, size_t errlen)
{
	struct stat st;
	uint64_t size;
	int fd;

	memset(bf, 0, sizeof(*bf));
	bf->fd = -1;
	fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		if (!readonly && (e == EACCES || e == EROFS || e == EPERM))
			snprintf(err, errlen,
				 "cannot open disk image '%s' for writing: %s "
				 "(add ,ro for a read-only disk)",
				 path, strerror(e));
		else
			snprintf(err, errlen, "cannot open disk image '%s': %s",
				 path, strerror(e));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen, "disk image '%s': %s", path,
			 strerror(errno));
		goto fail;
	}
	if (S_ISREG(st.st_mode)) {
		size = (uint64_t)st.st_size;
	} else if (S_ISBLK(st.st_mode)) {
		if (ioctl(fd, BLKGETSIZE64, &size) < 0) {
			snprintf(err, errlen,
				 "disk image '%s': cannot read the "
				 "block device size: %s",
				 path, strerror(errno));
			goto fail;
		}
		bf->is_blockdev = true;
	} else {
		snprintf(err, errlen,
			 "disk image '%s' is not a regular file "
			 "or block device",
			 path);
		goto fail;
	}
	/* Lock before anything can be written: a second rvisor on the same
	 * image fails here and leaves it alone. */
	if (flock(fd, (readonly ? LOCK_SH : LOCK_EX) | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			snprintf(err, errlen,
				 "disk image '%s' is in use by "
				 "another process",
				 path);
		else
			snprintf(err, errlen,
				 "disk image '%s': cannot lock "
				 "it: %s",
				 path, strerror(errno));
		goto fail;
	}
	if (size % BLOCK_SECTOR_SIZE) {
		log_debug("disk image '%s': size %llu is not a multiple of %u; "
			  "the last %llu bytes are not visible to the guest",
			  path, (unsigned long long)size, BLOCK_SECTOR_SIZE,
			  (unsigned long long)(size % BLOCK_SECTOR_SIZE));
		size -= size % BLOCK_SECTOR_SIZE;
	}
	if (size == 0) {
		snprintf(err, errlen,
			 "disk image '%s' is empty (a disk needs "
			 "at least %u bytes)",
			 path, BLOCK_SECTOR_SIZE);
		goto fail;
	}
	bf->fd = fd;
	bf->readonly = readonly;
	bf->size = size;
	bf->alignment = st.st_blksize >= (blksize_t)BLOCK_SECTOR_SIZE &&
					!(st.st_blksize % BLOCK_SECTOR_SIZE) &&
					st.st_blksize <= (1 << 20)
				? (uint32_t)st.st_blksize
				: BLOCK_SECTOR_SIZE;
	atomic_init(&bf->can_punch_hole, true);
	atomic_init(&bf->can_zero_range, true);
	return 0;
fail:
	close(fd);
	return -1;
}

void block_file_close(struct block_file *bf)
{
	if (bf->fd >= 0)
		close(bf->fd); /* drops the flock */
	bf->fd = -1;
}

ssize_t block_file_preadv(struct block_file *bf, const struct iovec *iov,
			  int count, uint64_t off)
{
	ssize_t r;

	do
		r = preadv(bf->fd, iov, count, (off_t)off);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

ssize_t block_file_pwritev(struct block_file *bf, const struct iovec *iov,
			   int count, uint64_t off)
{
	ssize_t r;

	do
		r = pwritev(bf->fd, iov, count, (off_t)off);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

int block_file_flush(struct block_file *bf)
{
	int r;

	do
		r = fdatasync(bf->fd);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : 0;
}

int block_file_fallocate(struct block_file *bf, int mode, uint64_t off,
			 uint64_t len)
{
	int r;

	do
		r = fallocate(bf->fd, mode, (off_t)off, (off_t)len);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : 0;
}
