CREATE TABLE `open311_keys` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`village_id` bigint unsigned NOT NULL,
	`key_hash` char(64) NOT NULL,
	`label` varchar(60) NOT NULL,
	`created_by` bigint unsigned NOT NULL,
	`revoked_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `open311_keys_id` PRIMARY KEY(`id`),
	CONSTRAINT `open311_keys_hash_uq` UNIQUE(`key_hash`)
);
--> statement-breakpoint
ALTER TABLE `open311_keys` ADD CONSTRAINT `open311_keys_village_fk` FOREIGN KEY (`village_id`) REFERENCES `villages`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `open311_keys` ADD CONSTRAINT `open311_keys_created_by_fk` FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `open311_keys_village_idx` ON `open311_keys` (`village_id`);