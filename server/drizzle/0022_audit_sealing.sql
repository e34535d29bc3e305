ALTER TABLE `audit_log` ADD `awaiting_seal` boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `audit_log_awaiting_idx` ON `audit_log` (`awaiting_seal`,`chain`,`id`);