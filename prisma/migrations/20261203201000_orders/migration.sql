-- Sales orders → e-commerce orders (issue #6): order-side Plex records with link tags, e-commerce
-- orders as Mailchimp accepted them, and customers' order history.
-- CreateTable
CREATE TABLE "plex_order_records" (
    "connection_id" VARCHAR(64) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "external_id" VARCHAR(128) NOT NULL,
    "links" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "content_hash" VARCHAR(64) NOT NULL,
    "data" JSONB NOT NULL,
    "modified_at" TIMESTAMPTZ(3),
    "pending" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "plex_order_records_pkey" PRIMARY KEY ("connection_id","kind","external_id")
);

-- CreateTable
CREATE TABLE "ecommerce_orders" (
    "connection_id" VARCHAR(64) NOT NULL,
    "order_id" VARCHAR(128) NOT NULL,
    "plex_customer_id" VARCHAR(64),
    "created" BOOLEAN NOT NULL DEFAULT false,
    "sent_hash" VARCHAR(64),
    "body" JSONB,
    "batch_id" VARCHAR(64),
    "sent_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ecommerce_orders_pkey" PRIMARY KEY ("connection_id","order_id")
);

-- CreateTable
CREATE TABLE "customer_order_stats" (
    "connection_id" VARCHAR(64) NOT NULL,
    "plex_customer_id" VARCHAR(64) NOT NULL,
    "stats" JSONB NOT NULL,
    "stats_hash" VARCHAR(64) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_order_stats_pkey" PRIMARY KEY ("connection_id","plex_customer_id")
);

-- CreateIndex
CREATE INDEX "plex_order_records_links_idx" ON "plex_order_records" USING GIN ("links");

-- CreateIndex
CREATE INDEX "plex_order_records_connection_id_kind_pending_modified_at_idx" ON "plex_order_records"("connection_id", "kind", "pending", "modified_at");

-- CreateIndex
CREATE INDEX "ecommerce_orders_connection_id_plex_customer_id_idx" ON "ecommerce_orders"("connection_id", "plex_customer_id");

-- AddForeignKey
ALTER TABLE "plex_order_records" ADD CONSTRAINT "plex_order_records_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ecommerce_orders" ADD CONSTRAINT "ecommerce_orders_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer_order_stats" ADD CONSTRAINT "customer_order_stats_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

