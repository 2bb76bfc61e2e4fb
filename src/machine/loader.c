#include "machine/loader.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef EM_RISCV
#define EM_RISCV 243
#endif

uint8_t *load_file(const char *path, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	uint8_t *buf;
	size_t done = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		snprintf(err, errlen, "cannot open '%s': %s", path,
			 strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a regular file", path);
		close(fd);
		return NULL;
	}
	if (st.st_size == 0) {
		snprintf(err, errlen, "'%s' is empty", path);
		close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size);
	if (!buf) {
		snprintf(err, errlen, "'%s': out of memory", path);
		close(fd);
		return NULL;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, (size_t)st.st_size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "cannot read '%s': %s", path,
				 n < 0 ? strerror(errno) : "short read");
			free(buf);
			close(fd);
			return NULL;
		}
		done += (size_t)n;
	}
	close(fd);
	*len = done;
	return buf;
}

static bool range_ok(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/* Find the HTIF symbols; absence is fine. */
static void find_htif(const uint8_t *img, size_t size, const Elf64_Ehdr *eh,
		      struct load_info *info)
{
	if (!range_ok(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr),
		      size) ||
	    eh->e_shentsize != sizeof(Elf64_Shdr))
		return;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(img + eh->e_shoff);
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
			continue;
		const Elf64_Shdr *str = &sh[sh[i].sh_link];
		if (!range_ok(sh[i].sh_offset, sh[i].sh_size, size) ||
		    !range_ok(str->sh_offset, str->sh_size, size))
			continue;
		const Elf64_Sym *sym =
			(const Elf64_Sym *)(img + sh[i].sh_offset);
		size_t n = sh[i].sh_size / sizeof(Elf64_Sym);
		for (size_t k = 0; k < n; k++) {
			uint64_t no = sym[k].st_name;
			if (no >= str->sh_size)
				continue;
			const char *name =
				(const char *)img + str->sh_offset + no;
			size_t maxlen = str->sh_size - no;
			if (strnlen(name, maxlen) == maxlen)
				continue;
			if (!strcmp(name, "tohost")) {
				info->tohost = sym[k].st_value;
				info->has_tohost = true;
			} else if (!strcmp(name, "fromhost")) {
				info->fromhost = sym[k].st_value;
			}
		}
	}
}

static int load_elf(struct guest_mem *m, const char *path, const uint8_t *img,
		    size_t size, struct load_info *info, char *err,
		    size_t errlen)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
	const Elf64_Phdr *ph;
	int loaded = 0;

	if (size < sizeof(Elf64_Ehdr)) {
		snprintf(err, errlen, "'%s': truncated ELF header", path);
		return -1;
	}
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB) {
		snprintf(err, errlen,
			 "'%s': not a 64-bit little-endian ELF "
			 "(rvisor runs rv64 programs)",
			 path);
		return -1;
	}
	if (eh->e_machine != EM_RISCV) {
		snprintf(err, errlen, "'%s': ELF for machine %u, not RISC-V",
			 path, eh->e_machine);
		return -1;
	}
	if (eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    !range_ok(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr),
		      size)) {
		snprintf(err, errlen,
			 "'%s': truncated or corrupt program "
			 "headers",
			 path);
		return -1;
	}
	ph = (const Elf64_Phdr *)(img + eh->e_phoff);
	/* validate everything before writing anything */
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
			continue;
		if (ph[i].p_filesz > ph[i].p_memsz ||
		    !range_ok(ph[i].p_offset, ph[i].p_filesz, size)) {
			snprintf(err, errlen,
				 "'%s': segment %u is truncated "
				 "or corrupt",
				 path, i);
			return -1;
		}
		if (!gmem_find(m, ph[i].p_paddr, ph[i].p_memsz)) {
			snprintf(err, errlen,
				 "'%s': segment %u (0x%llx-0x%llx) "
				 "does not fit in guest RAM",
				 path, i, (unsigned long long)ph[i].p_paddr,
				 (unsigned long long)(ph[i].p_paddr +
						      ph[i].p_memsz));
			return -1;
		}
		loaded++;
	}
	if (!loaded) {
		snprintf(err, errlen, "'%s': ELF has no loadable segments",
			 path);
		return -1;
	}
	info->lo = ~0ull;
	info->hi = 0;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
			continue;
		uint8_t *dst =
			gmem_ptr_for_write(m, ph[i].p_paddr, ph[i].p_memsz);
		memcpy(dst, img + ph[i].p_offset, ph[i].p_filesz);
		memset(dst + ph[i].p_filesz, 0, ph[i].p_memsz - ph[i].p_filesz);
		if (ph[i].p_paddr < info->lo)
			info->lo = ph[i].p_paddr;
		if (ph[i].p_paddr + ph[i].p_memsz > info->hi)
			info->hi = ph[i].p_paddr + ph[i].p_memsz;
	}
	info->entry = eh->e_entry;
	info->is_elf = true;
	find_htif(img, size, eh, info);
	return 0;
}

int load_program(struct guest_mem *m, const char *path, uint64_t raw_addr,
		 struct load_info *info, char *err, size_t errlen)
{
	size_t size;
	uint8_t *img = load_file(path, &size, err, errlen);
	int ret = 0;

	memset(info, 0, sizeof(*info));
	if (!img)
		return -1;
	if (size >= 4 && !memcmp(img, ELFMAG, SELFMAG)) {
		ret = load_elf(m, path, img, size, info, err, errlen);
	} else {
		uint8_t *dst = gmem_ptr_for_write(m, raw_addr, size);
		if (!dst) {
			snprintf(err, errlen,
				 "'%s' (%zu bytes) does not fit in "
				 "guest RAM at 0x%llx",
				 path, size, (unsigned long long)raw_addr);
			ret = -1;
		} else {
			memcpy(dst, img, size);
			info->entry = raw_addr;
			info->lo = raw_addr;
			info->hi = raw_addr + size;
		}
	}
	free(img);
	return ret;
}
