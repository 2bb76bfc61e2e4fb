/* goldfish_rtc.h - the Android goldfish RTC as QEMU's virt board has it: the
 * wall clock in nanoseconds since the Unix epoch, with one alarm.
 *
 * Register map (32-bit accesses only):
 *   0x00 TIME_LOW        read: low half of the time, latches the high half
 *   0x04 TIME_HIGH       read: the latched high half
 *                        (a write to either sets that half of the time)
 *   0x08 ALARM_LOW       write: low half of the alarm time, arms the alarm
 *   0x0c ALARM_HIGH      high half of the alarm time (write it first)
 *   0x10 IRQ_ENABLED     bit 0: the alarm interrupt reaches the line
 *   0x14 CLEAR_ALARM     write: disarm the alarm
 *   0x18 ALARM_STATUS    read: 1 while an alarm is armed and not yet fired
 *   0x1c CLEAR_INTERRUPT write: acknowledge a fired alarm */
#ifndef RVISOR_DEV_GOLDFISH_RTC_H
#define RVISOR_DEV_GOLDFISH_RTC_H

#include "dev/device.h"

#define GOLDFISH_RTC_SIZE 0x1000

extern const struct device_ops goldfish_rtc_ops;
void *goldfish_rtc_new(struct irq_line irq);
/* Any thread: fire the alarm if it is due. Register accesses do this too;
 * a VMM that wants alarms to fire without the guest touching the RTC calls
 * it from a timer of its own (see the limitation in goldfish_rtc.c). */
void goldfish_rtc_poll(void *dev);

#endif
