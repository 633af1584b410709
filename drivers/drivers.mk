# drivers/: device code the VMM itself drives.
VMM_OBJS += $(BUILD)/drivers/uart.o $(BUILD)/drivers/pci.o $(BUILD)/drivers/ata.o
VMM_OBJS += $(BUILD)/drivers/ahci.o $(BUILD)/drivers/ata_cmds.o $(BUILD)/drivers/prd.o
