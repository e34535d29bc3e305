ALTER TABLE `point_approvals` DROP INDEX `point_approvals_key_uq`;--> statement-breakpoint
ALTER TABLE `point_entries` DROP INDEX `point_entries_key_uq`;--> statement-breakpoint
ALTER TABLE `shop_orders` DROP INDEX `shop_orders_key_uq`;--> statement-breakpoint
ALTER TABLE `reports` DROP INDEX `reports_key_uq`;--> statement-breakpoint
ALTER TABLE `point_entries` MODIFY COLUMN `idempotency_key` varchar(160) NOT NULL;--> statement-breakpoint
ALTER TABLE `shop_orders` MODIFY COLUMN `created_by` bigint unsigned NOT NULL;--> statement-breakpoint
ALTER TABLE `point_approvals` ADD CONSTRAINT `point_approvals_key_uq` UNIQUE(`village_id`,`created_by`,`idempotency_key`);--> statement-breakpoint
ALTER TABLE `point_entries` ADD CONSTRAINT `point_entries_key_uq` UNIQUE(`village_id`,`idempotency_key`);--> statement-breakpoint
ALTER TABLE `shop_orders` ADD CONSTRAINT `shop_orders_key_uq` UNIQUE(`village_id`,`created_by`,`idempotency_key`);--> statement-breakpoint
ALTER TABLE `reports` ADD CONSTRAINT `reports_key_uq` UNIQUE(`village_id`,`filed_by`,`idempotency_key`);