-- CreateTable
CREATE TABLE "LineComment" (
    "id" TEXT NOT NULL,
    "signoffId" TEXT NOT NULL,
    "n" INTEGER NOT NULL,
    "file" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LineComment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LineComment_signoffId_n_key" ON "LineComment"("signoffId", "n");

-- AddForeignKey
ALTER TABLE "LineComment" ADD CONSTRAINT "LineComment_signoffId_fkey" FOREIGN KEY ("signoffId") REFERENCES "Signoff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

